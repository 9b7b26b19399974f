import { useBenchStore } from '../../stores/bench';
import { useHistoryStore } from '../../stores/history';
import { HistoryView } from './HistoryView';
import '../../styles/history.css';

/** The main area while the History view is open (a Benchmarks screen takes precedence). */
export function HistoryArea() {
  const open = useHistoryStore((s) => s.open);
  const benchOpen = useBenchStore((s) => s.screen !== null);
  if (!open || benchOpen) return null;
  return <HistoryView />;
}
