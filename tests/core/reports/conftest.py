from tests.smtp_support import smtp_server  # noqa: F401  (the real local SMTP server)
