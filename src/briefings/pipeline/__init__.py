"""Framework-free pipeline stages: pure functions over the frozen types in `types`."""
