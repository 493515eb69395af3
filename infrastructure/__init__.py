"""Adapters: settings, the event-store configuration, the plan-document parser, bundled data."""
