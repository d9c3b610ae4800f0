"""The four-eyes review: the workflow that alone changes an incident's status, locked edits, conflicts and the queues."""
