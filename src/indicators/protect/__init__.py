"""Protection: the cell-key method that every published figure passes through (privacy), the registry that runs an indicator and publishes it, and who may see exact figures (access)."""
