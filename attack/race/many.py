# N CronJobs, each with a 17-bucket start-delay histogram that grows once a
# minute (a CronJob that runs every minute, on time), and an on-time
# finished counter: the shape of a big cluster's steady state.
import http.server, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
t0 = time.time(); start = t0 - 86400
les = ["0.1","0.25","0.5","1","2.5","5","10","15","30","60","120","300","600","1200","1800","3600","+Inf"]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        k = int((time.time() - t0) // 60) + 1
        out = ["process_start_time_seconds %f" % start]
        for i in range(n):
            for le in les:
                out.append('cronjob_job_start_delay_seconds_bucket{namespace="m",cronjob="c%05d",trigger="scheduled",le="%s"} %d' % (i, le, k if le not in ("0.1","0.25","0.5") else 0))
            out.append('cronjob_job_finished_total{namespace="m",cronjob="c%05d",trigger="scheduled",result="success"} %d' % (i, k))
        b = ("\n".join(out) + "\n").encode()
        self.send_response(200); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
