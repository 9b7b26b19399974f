import { useBenchStore } from '../../stores/bench';
import { GoldenEditor } from '../golden/GoldenEditor';
import { BenchView } from './BenchView';
import '../../styles/bench.css';

/** The main area while a Benchmarks screen is open: a bench config or a golden set. */
export function BenchArea() {
  const screen = useBenchStore((s) => s.screen);
  if (!screen) return null;
  return screen.kind === 'bench' ? (
    <BenchView key={screen.path} path={screen.path} />
  ) : (
    <GoldenEditor key={screen.path} path={screen.path} />
  );
}
