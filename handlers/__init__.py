"""Everything that imports telegram: the Application's wiring (wiring.py, app.py), the
transports, and one module per feature. Nothing is imported here, so that ``jetbot``
commands that never talk to Telegram start without loading it.
"""
