import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileContent, TokenCount } from '../../src/shared/contract';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { useNoticesStore } from '../../src/renderer/src/stores/notices';
import { COUNT_DEBOUNCE_MS, useTokensStore } from '../../src/renderer/src/stores/tokens';
import { useWorkspaceStore } from '../../src/renderer/src/stores/workspace';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeTransport, FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';
import { createFakeBackend, fakeCount } from './support/fakeBackend';
import { resetApp } from './support/reset';

afterEach(resetApp);

const file = (content: string, hash = 'h1'): FileContent => ({
  path: 'prompts/a.md',
  content,
  hash,
  mtimeMs: 0,
  size: content.length,
  encoding: 'utf-8',
});

describe('editor store', () => {
  it('is dirty exactly while the text differs from what is on disk', () => {
    const editor = useEditorStore.getState();
    editor.load(file('hello'));
    expect(useEditorStore.getState()).toMatchObject({ path: 'prompts/a.md', dirty: false, hash: 'h1' });
    editor.setContent('hello!');
    expect(useEditorStore.getState().dirty).toBe(true);
    editor.setContent('hello');
    expect(useEditorStore.getState().dirty).toBe(false);
  });

  it('stays dirty when the user typed on while a save was in flight', () => {
    const editor = useEditorStore.getState();
    editor.load(file('v1'));
    editor.setContent('v2');
    const saved = { path: 'prompts/a.md', hash: 'h2', mtimeMs: 1, size: 2, encoding: 'utf-8' as const };
    editor.setContent('v3'); // typed after the save of "v2" was sent
    editor.markSaved(saved, 'v2');
    expect(useEditorStore.getState()).toMatchObject({ savedContent: 'v2', hash: 'h2', dirty: true });
    editor.markSaved({ ...saved, hash: 'h3' }, 'v3');
    expect(useEditorStore.getState()).toMatchObject({ dirty: false, hash: 'h3' });
  });

  it('starts a new document per load but keeps it on a reload from disk', () => {
    const editor = useEditorStore.getState();
    editor.load(file('one'));
    const session = useEditorStore.getState().session;
    editor.replaceFromDisk(file('two', 'h2'));
    expect(useEditorStore.getState()).toMatchObject({ session, content: 'two', hash: 'h2', dirty: false });
    editor.load(file('three'));
    expect(useEditorStore.getState().session).toBe(session + 1);
  });

  it('ignores edits when no file is open and resets to the empty state', () => {
    const editor = useEditorStore.getState();
    editor.setContent('typed into nothing');
    expect(useEditorStore.getState()).toMatchObject({ content: '', dirty: false });
    editor.load(file('x'));
    editor.setContent('y');
    editor.reset();
    expect(useEditorStore.getState()).toMatchObject({ path: null, content: '', dirty: false, hash: null });
  });
});

describe('tokens store', () => {
  beforeEach(() => {
    setTransport(createFakeBackend().transport);
  });

  it('drops an answer that arrives after a newer request was sent', async () => {
    const pending: Array<{ text: string; resolve: (c: TokenCount) => void }> = [];
    const transport = createFakeTransport({
      'tokens.count': ({ text, model }) =>
        new Promise<TokenCount>((resolve) =>
          pending.push({ text, resolve: () => resolve(fakeCount(text, model)) }),
        ),
    });
    setTransport(transport);
    const tokens = useTokensStore.getState();
    const first = tokens.countNow('one two three');
    const second = tokens.countNow('one');
    expect(useTokensStore.getState().pending).toBe(true);
    pending[1]!.resolve(fakeCount('one', 'gpt-4o'));
    await second;
    pending[0]!.resolve(fakeCount('one two three', 'gpt-4o'));
    await first;
    expect(useTokensStore.getState()).toMatchObject({ pending: false, result: { tokens: 1 } });
  });

  it('debounces typing into one count of the latest text', async () => {
    vi.useFakeTimers();
    try {
      const backend = createFakeBackend();
      setTransport(backend.transport);
      const tokens = useTokensStore.getState();
      tokens.schedule('a');
      tokens.schedule('a b');
      tokens.schedule('a b c');
      expect(useTokensStore.getState().pending).toBe(true);
      await vi.advanceTimersByTimeAsync(COUNT_DEBOUNCE_MS + 5);
      expect(backend.transport.callsTo('tokens.count')).toEqual([{ text: 'a b c', model: 'gpt-4o' }]);
      expect(useTokensStore.getState()).toMatchObject({ pending: false, result: { tokens: 3 } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads models and the saved choice, and persists a new choice through settings.update', async () => {
    const backend = createFakeBackend();
    setTransport(backend.transport);
    await useTokensStore.getState().loadModels();
    expect(useTokensStore.getState().models.map((m) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'mystery-1']);
    await useTokensStore.getState().countNow('a b');
    await useTokensStore.getState().selectModel('gpt-4o-mini');
    expect(backend.transport.callsTo('settings.update')).toEqual([{ selectedModel: 'gpt-4o-mini' }]);
    await vi.waitFor(() => expect(useTokensStore.getState().result?.model).toBe('gpt-4o-mini'));
  });

  it('shows a failed count as a notice', async () => {
    setTransport(
      createFakeTransport({
        'tokens.count': () => {
          throw new FakeRouteError('UNKNOWN_MODEL', 'Unknown model "x".');
        },
      }),
    );
    await useTokensStore.getState().countNow('hi');
    expect(useTokensStore.getState().pending).toBe(false);
    expect(useNoticesStore.getState().items).toMatchObject([{ code: 'UNKNOWN_MODEL', kind: 'error' }]);
  });

  it('reset forgets the count and ignores answers still in flight', async () => {
    const tokens = useTokensStore.getState();
    const inFlight = tokens.countNow('a b c');
    tokens.reset();
    await inFlight;
    expect(useTokensStore.getState()).toMatchObject({ result: null, pending: false, models: [] });
  });
});

describe('notices store', () => {
  it('queues, replaces by key, drops exact duplicates and dismisses', () => {
    const notices = useNoticesStore.getState();
    notices.pushError({ code: 'BINARY_FILE', message: 'a is binary' });
    notices.pushError({ code: 'BINARY_FILE', message: 'a is binary' });
    const conflict = notices.pushError({ code: 'FILE_CHANGED_ON_DISK', message: 'first' }, { key: 'c' });
    notices.pushError({ code: 'FILE_CHANGED_ON_DISK', message: 'second' }, { key: 'c' });
    expect(useNoticesStore.getState().items.map((n) => n.message)).toEqual(['a is binary', 'second']);
    notices.dismiss(conflict); // already replaced: nothing happens
    expect(useNoticesStore.getState().items).toHaveLength(2);
    notices.dismissKey('c');
    expect(useNoticesStore.getState().items.map((n) => n.code)).toEqual(['BINARY_FILE']);
    notices.reset();
    expect(useNoticesStore.getState().items).toEqual([]);
  });

  it('lets info notices expire on their own', () => {
    vi.useFakeTimers();
    try {
      useNoticesStore.getState().push({ kind: 'info', message: 'Saved', timeoutMs: 1000 });
      expect(useNoticesStore.getState().items).toHaveLength(1);
      vi.advanceTimersByTime(1001);
      expect(useNoticesStore.getState().items).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('workspace store', () => {
  it('holds the workspace and recent list until reset', () => {
    const backend = createFakeBackend({ 'a.md': 'x' });
    useWorkspaceStore.getState().setWorkspace(backend.workspace());
    useWorkspaceStore.getState().setRecent([{ root: '/r', name: 'r', openedAt: '2025-01-01T00:00:00Z' }]);
    expect(useWorkspaceStore.getState().workspace?.files.map((f) => f.path)).toEqual(['a.md']);
    useWorkspaceStore.getState().reset();
    expect(useWorkspaceStore.getState()).toMatchObject({
      workspace: null,
      recent: [],
      info: null,
      loading: false,
    });
  });
});
