import { configure } from '@testing-library/react';

// findBy* and waitFor give up after 1 s by default; on the 2-core CI machine, with every project running at
// once, a dialog that takes one more render cycle can miss that. 5 s is still far below the test timeout.
configure({ asyncUtilTimeout: 5_000 });
