// Wire shapes, filled in by the feature that owns them.
export {};
