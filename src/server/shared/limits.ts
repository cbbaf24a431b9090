// Limits the server enforces and the dashboard shows (or checks before sending), defined once.

// ---- Runs list --------------------------------------------------------------------------------

/** Metadata filters of the runs list (a URL, not a query language). */
export const MAX_METADATA_FILTERS = 10;
export const MAX_METADATA_KEY_LENGTH = 100;
export const MAX_METADATA_VALUE_LENGTH = 1000;
/** Full-text search of the runs list. */
export const MAX_SEARCH_LENGTH = 200;
/** A workflow name filter (workflow names are at most this long). */
export const MAX_WORKFLOW_NAME_LENGTH = 200;
/** Most runs one bulk action of the runs list takes, by id or "all matching" (the list shows at most a few pages). */
export const MAX_BULK_RUN_ACTIONS = 500;

// ---- Playground and what-if -------------------------------------------------------------------

/** Variants one playground run takes. */
export const MAX_PLAYGROUND_VARIANTS = 6;
/** Source runs one what-if report takes. */
export const MAX_WHAT_IF_RUNS = 200;
/** Output checks ("rules") one what-if report takes. */
export const MAX_WHAT_IF_RULES = 10;
/** A mustMatch / mustNotMatch rule's regular expression, in characters. */
export const MAX_RULE_PATTERN_LENGTH = 200;
/** The largest value of a maxLength rule. */
export const MAX_RULE_MAX_LENGTH = 10_000_000;
