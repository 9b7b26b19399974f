export { createBackend, loadCatalog, type Backend, type BackendOptions } from './createBackend';
export { dispatch, call } from './dispatch';
export { EventBus } from './events';
export { defaultDataDir, findResourcesDir } from './paths';
