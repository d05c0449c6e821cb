"""Reports a clerk reads, prints and sends: aged receivables and payables, customer
statements, the customer card's figures and the cash picture (bc-spec §9.4)."""
