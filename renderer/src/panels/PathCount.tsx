import { plural } from '../../../shared/text/plural';

/**
 * A neuron's count of traced paths, saying what it counts wherever it is listed: a path is one traced polyline, and
 * Measurements' Branches count is topological (a path a child leaves midway is two branches there).
 */
export function PathCount({ count, className }: { count: number; className?: string }) {
  return (
    <span className={className} title="Traced paths (the Branches count in Measurements is topological)">
      {plural(count, 'path')}
    </span>
  );
}
