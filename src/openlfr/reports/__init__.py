"""Post-deployment documents: the cancellation report, the register, charts and PDF."""
