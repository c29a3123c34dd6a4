"""Sources: the newspapers we poll, their feeds and their fetch health."""
