"""Payment Registration (BC "Register Customer Payments") and the sales documents that
receivables needs: sales invoices and credit memos, payment methods (an invoice paid at
posting, the PayPal case) and the per-user registration setup.

Sales documents live here, not in a ``core/sales`` package: Search Documents reads the
unposted sales documents and capabilities at the same level never import each other.
"""
