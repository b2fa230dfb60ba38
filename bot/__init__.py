"""The JET Programme applicant bot: core logic, free of Telegram but for app.py and console.py."""
