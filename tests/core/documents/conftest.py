from tests.smtp_support import smtp_server

__all__ = ["smtp_server"]
