"""Bank feed: statement files arrive in inbox folders (or from a bank connection) and
are imported and applied without a clerk fetching them.

``folder`` is the inbox on disk (ready files, claiming, archive, rejected), ``service``
the configuration and the processing of one file, ``watch`` the watcher loop, and
``sources`` the bank connections (FinTS) that drop files into an inbox.
"""
