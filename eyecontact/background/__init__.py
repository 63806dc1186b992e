"""Background work on a queue kept in the database: imports, booth captures, weekly digests.

::

    web / API ──enqueue──▶ DBTaskResult (django-tasks, database backend) ◀──claim── worker(s)
        │                                                                        │
        └── polls ──▶ Progress, ImportBatch ◀──────────── writes ────────────────┘

A task is a row in the database: any server process may queue one and any worker process
(``eyecontact worker``, or the thread ``eyecontact serve`` starts on a laptop) runs it, each task
once. Workers say they are alive in :class:`~.models.WorkerBeat`; a task left running by a worker
that stopped beating is looked at again (:mod:`.recovery`): an import is retried once, then ends
failed with a message. Periodic work (the weekly digest) is queued by whichever worker first sees
it due (:mod:`.schedule`).

Progress and worker beats live on their own connection (the ``live`` database alias): an import
writes its people in one long transaction, and the page following it must see its progress
before it commits. On PostgreSQL that alias is a second connection to the same database; on
SQLite, whose one writer would wait for the import, it is a small database file of its own
beside the main one.
"""
