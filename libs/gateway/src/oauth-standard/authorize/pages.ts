/** Server-rendered login and consent pages: no JavaScript, no third-party assets. */
export const escape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  all: 'Everything your profile may do',
  read: 'Read all of your data',
  write: 'Change all of your data',
  'profile:read': 'Read your profile',
  'profile:write': 'Change your profile',
  'oauth-app:read': 'See your applications, their usage and audit trail',
  'oauth-app:write': 'Register, rotate and revoke your applications',
  'data-token:read': 'Read your data tokens',
  'data-token:write': 'Change your data tokens',
};

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);width:100%;max-width:380px}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;padding:.55rem;box-sizing:border-box;border:1px solid #bbb;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;border:0;border-radius:4px;font-size:1rem;cursor:pointer;background:#1f6feb;color:#fff}
button.secondary{background:#e4e6ea;color:#222;margin-left:.5rem}.error{color:#b42318;background:#fef3f2;padding:.6rem;border-radius:4px}
ul{padding-left:1.2rem}li{margin:.3rem 0}
</style></head><body><main>${body}</main></body></html>`;

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');

export const loginPage = (p: { applicationName: string; requestId: string; csrf: string; error?: string; username?: string; action?: string }): string =>
  layout(
    'Sign in',
    `<h1>Sign in to continue to ${escape(p.applicationName)}</h1>
${p.error ? `<p class="error" role="alert">${escape(p.error)}</p>` : ''}
<form method="post" action="${escape(p.action ?? '/oauth/authorize/login')}">
${hidden({ request_id: p.requestId, csrf_token: p.csrf })}
<label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username" required value="${escape(p.username ?? '')}">
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );

export const consentPage = (p: { applicationName: string; scopes: string[]; requestId: string; csrf: string; username: string }): string =>
  layout(
    'Authorize application',
    `<h1>${escape(p.applicationName)} wants access to your profile</h1>
<p>Signed in as <strong>${escape(p.username)}</strong>. ${escape(p.applicationName)} asks to:</p>
<ul>${p.scopes.map((scope) => `<li><code>${escape(scope)}</code> — ${escape(SCOPE_DESCRIPTIONS[scope] ?? scope)}</li>`).join('')}</ul>
<form method="post" action="/oauth/authorize/consent">
${hidden({ request_id: p.requestId, csrf_token: p.csrf })}
<button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );

export const errorPage = (message: string): string => layout('Authorization error', `<h1>Authorization error</h1><p class="error">${escape(message)}</p>`);
