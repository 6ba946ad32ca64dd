# A fake steadycron /metrics: a leader started a day ago; a new CronJob's
# failure series is born at 1 every 15 s. Values are taken when the request
# arrives (the scrape's timestamp), the response is sent DELAY s later (a
# large or slow scrape).
import http.server, sys, time, threading
port, delay, ns = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
t0 = time.time()
start = t0 - 86400
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        n = int((time.time() - t0) // 15) + 1
        body = "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %f\n" % start
        body += "# TYPE cronjob_job_finished_total counter\n"
        for k in range(n):
            body += 'cronjob_job_finished_total{namespace="%s",cronjob="c%03d",trigger="scheduled",result="failure"} 1\n' % (ns, k)
        time.sleep(delay)
        b = body.encode()
        self.send_response(200); self.send_header("Content-Type", "text/plain; version=0.0.4"); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
        with open("born-%s.txt" % ns, "w") as f: f.write("%d\n" % n)
    def log_message(self, *a): pass
class S(http.server.ThreadingHTTPServer): daemon_threads = True
S(("127.0.0.1", port), H).serve_forever()
