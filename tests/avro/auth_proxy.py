"""An HTTP proxy in front of the test's schema registry that demands basic
authentication, as a registry behind a gateway does (Apicurio's own
authentication needs an identity server): answers 401 without the right
Authorization header, forwards the request otherwise, and logs each
request's path and whether it carried credentials.

  auth_proxy.py REGISTRY_URL USER:PASSWORD PORTFILE LOGFILE [CERT KEY]

With CERT and KEY (PEM files) it serves HTTPS with that certificate.
"""
import base64
import os
import http.server
import sys
import urllib.error
import urllib.request

upstream, userinfo, portfile, logfile = sys.argv[1:5]
tls = sys.argv[5:7]
want = "Basic " + base64.b64encode(userinfo.encode()).decode()


class Proxy(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        got = self.headers.get("Authorization")
        with open(logfile, "a") as log:
            log.write("%s %s\n" % (self.path, "auth" if got else "none"))
        if got != want:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="registry"')
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error_code":401,"message":"Unauthorized"}')
            return
        try:
            with urllib.request.urlopen(upstream + self.path, timeout=10) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.HTTPServer(("127.0.0.1", 0), Proxy)
if tls:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tls[0], tls[1])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
