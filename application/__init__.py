"""Use cases over the one event store: get → call → save, plain ids in and out."""
