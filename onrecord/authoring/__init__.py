"""The writer's tools: the live preview (`serve`), `new` and `draft`."""
