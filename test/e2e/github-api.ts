import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  body?: Record<string, unknown>;
}

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  /** Who wrote it (its `user.login`). */
  author: string;
}

/** Who a token is, as GitHub answers: the job token (ghs_) is the Actions app's bot; any other token its user. */
export function loginOf(authorization: string | undefined): string {
  const token = (authorization ?? '').replace(/^(token|bearer) /i, '');
  return token.startsWith('ghs_') ? 'github-actions[bot]' : TOKEN_USER;
}

/** The user a personal token in these tests belongs to. */
export const TOKEN_USER = 'release-bot';

/**
 * A recording stand-in for the GitHub REST API's issue comments, on 127.0.0.1 at a free port.
 * Keeps comments in memory. In `forbidden` mode it answers writes as GitHub does for a token
 * without `pull-requests: write`.
 */
export class GitHubApi {
  readonly requests: Recorded[] = [];
  readonly comments: StoredComment[] = [];
  forbidden = false;
  private nextId = 1000;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<GitHubApi> {
    let api: GitHubApi | undefined;
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => api!.handle(req, data, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    api = new GitHubApi(server, `http://127.0.0.1:${port}`);
    return api;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A comment someone else (octocat, unless named) wrote before the run. */
  seed(issue: number, body: string, author = 'octocat'): StoredComment {
    const comment = { id: this.nextId++, issue, body, author };
    this.comments.push(comment);
    return comment;
  }

  /** Requests that would change something on GitHub. */
  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  private handle(req: http.IncomingMessage, data: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> | undefined;
    try {
      body = data ? (JSON.parse(data) as Record<string, unknown>) : undefined;
    } catch {
      return this.send(res, 400, { message: 'Problems parsing JSON' });
    }
    this.requests.push({ method, path: url.pathname + url.search, authorization: req.headers.authorization, body });

    if (url.pathname === '/user' && method === 'GET') {
      // GitHub answers GET /user only for a user's token, not for an app's (the job token).
      const login = loginOf(req.headers.authorization);
      if (login.endsWith('[bot]')) return this.send(res, 403, { message: 'Resource not accessible by integration', status: '403' });
      return this.send(res, 200, { login, type: 'User' });
    }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (list && method === 'GET') {
      const issue = Number(list[3]);
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = this.commentsOn(issue);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return this.send(res, 200, slice.map((c) => this.view(c)), headers);
    }
    if ((list && method === 'POST') || (one && method === 'PATCH')) {
      if (this.forbidden) {
        return this.send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          status: '403',
        });
      }
      if (typeof body?.body !== 'string') return this.send(res, 422, { message: 'Validation Failed' });
      if (list) {
        const comment: StoredComment = { id: this.nextId++, issue: Number(list[3]), body: body.body, author: loginOf(req.headers.authorization) };
        this.comments.push(comment);
        return this.send(res, 201, this.view(comment));
      }
      const comment = this.comments.find((c) => c.id === Number(one![3]));
      if (!comment) return this.send(res, 404, { message: 'Not Found' });
      comment.body = body.body;
      return this.send(res, 200, this.view(comment));
    }
    return this.send(res, 404, { message: 'Not Found' });
  }

  private view(c: StoredComment): Record<string, unknown> {
    return {
      id: c.id,
      body: c.body,
      html_url: `https://github.com/acme/webapp/pull/${c.issue}#issuecomment-${c.id}`,
      user: { login: c.author, type: c.author.endsWith('[bot]') ? 'Bot' : 'User' },
    };
  }

  private send(res: http.ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(json));
  }
}
