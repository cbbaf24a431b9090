import styles from './usage.module.css';
import { formatCost } from './usage-format';

/** A cost cell: dollars, or "unknown price" naming the models that have none in the price table. */
export function UsageCost(props: { costUsd: number | null; unpricedCalls: number; unpricedModels?: readonly string[]; testId?: string }) {
  const unknown = props.unpricedCalls > 0;
  const models = props.unpricedModels?.length ? ` (${props.unpricedModels.join(', ')})` : '';
  return (
    <span
      className={unknown ? styles.unknown : undefined}
      data-testid={props.testId}
      title={
        unknown
          ? `No price for ${props.unpricedCalls} call(s)${models}: the model is not in the price table and the task reported no cost`
          : undefined
      }
    >
      {formatCost(props)}
      {unknown && models ? <span className="small">{models}</span> : null}
    </span>
  );
}
