# API: see routes.py
