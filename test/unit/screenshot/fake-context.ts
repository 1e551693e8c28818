// A 2D context that records every call with the drawing state in force at that moment
// (node has no canvas). Enough of save/restore and translate to check what tests look at.
import type { EditorContext } from '@/lib/screenshot/paint-editor';

type State = {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  globalAlpha: number;
  globalCompositeOperation: string;
  font: string;
  textBaseline: string;
  lineCap: string;
  lineJoin: string;
  /** Sum of translate() calls so far. */
  offset: { x: number; y: number };
};

/** One recorded method call. */
export type Call = { name: string; args: unknown[]; state: State };

const initialState = (): State => ({
  fillStyle: '#000000',
  strokeStyle: '#000000',
  lineWidth: 1,
  globalAlpha: 1,
  globalCompositeOperation: 'source-over',
  font: '10px sans-serif',
  textBaseline: 'alphabetic',
  lineCap: 'butt',
  lineJoin: 'miter',
  offset: { x: 0, y: 0 },
});

/** A recording context and its log of calls. */
export function recordingContext(): { ctx: EditorContext; calls: Call[]; names: () => string[] } {
  const calls: Call[] = [];
  let state = initialState();
  const stack: State[] = [];
  const methods: Record<string, (...args: never[]) => void> = {
    save: () => stack.push({ ...state, offset: { ...state.offset } }),
    restore: () => {
      state = stack.pop() ?? state;
    },
    translate: (x: number, y: number) => {
      state.offset = { x: state.offset.x + x, y: state.offset.y + y };
    },
  };
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => {
      if (name in state) return state[name as keyof State];
      return (...args: unknown[]) => {
        methods[name]?.(...(args as never[]));
        calls.push({ name, args, state: { ...state, offset: { ...state.offset } } });
      };
    },
    set: (_target, name: string, value) => {
      (state as Record<string, unknown>)[name] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as EditorContext, calls, names: () => calls.map((call) => call.name) };
}

/** A stand-in for a decoded image, told apart from the canvases by identity. */
export function fakeImage(): CanvasImageSource & { closed: boolean; close(): void } {
  const image = { closed: false, close: () => void (image.closed = true) };
  return image as unknown as CanvasImageSource & { closed: boolean; close(): void };
}
