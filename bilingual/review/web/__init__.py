"""The local review page (`bilingual review --web`).

`state` is what the page shows and does, as plain data; `app` is the HTTP side (Bottle behind a
guard: token, Host, Origin, CSP); `server` binds it to 127.0.0.1 and runs the session on one
worker thread. The page itself (`static/`) ships in the package: it needs no network.
"""
