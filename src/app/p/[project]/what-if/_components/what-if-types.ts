import type { RouterOutputs } from '@/app/_trpc/types';

type Outputs = RouterOutputs;

export type WhatIfReport = Outputs['whatIf']['get'];
export type WhatIfRow = WhatIfReport['rows'][number];
export type WhatIfSide = NonNullable<WhatIfRow['before']>;
export type WhatIfTotals = WhatIfReport['totals'];
export type WhatIfWarning = WhatIfReport['warnings'][number];
export type WhatIfListItem = Outputs['whatIf']['list'][number];
export type RowOutcome = WhatIfRow['outcome'];
