// The connection to /api/stream (server-sent events). The browser's EventSource reconnects by
// itself when the connection drops; when it gives up (the service answered with an error while
// restarting) this reopens it. Every connection starts with "hello" and a fresh snapshot.

const RETRY_MS = 2000;

export class Stream {
  constructor(handlers) {
    this.handlers = handlers;
    this.source = null;
    this.params = {};
    this.timer = null;
  }

  open(params) {
    this.params = params;
    this.close();
    const query = new URLSearchParams(params).toString();
    const source = new EventSource(`/api/stream${query ? `?${query}` : ""}`);
    this.source = source;
    this.handlers.status("connecting");
    source.addEventListener("hello", (e) => this.handlers.hello(JSON.parse(e.data)));
    source.addEventListener("items", (e) => this.handlers.items(JSON.parse(e.data)));
    source.addEventListener("live", (e) => {
      this.handlers.live(JSON.parse(e.data));
      this.handlers.status("live");
    });
    source.addEventListener("stats", (e) => this.handlers.stats(JSON.parse(e.data)));
    source.onerror = () => {
      if (this.source !== source) return;
      this.handlers.status("reconnecting");
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.open(this.params), RETRY_MS);
      }
    };
  }

  close() {
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.source = null;
  }
}
