import { escape } from '../../oauth-standard/authorize/pages';
import type { AccountView, AuditLine } from './account-console.query';
import type { AuditFilterDto } from './audit-filter';

/** The account console: server-rendered, inline CSS and SVG only, no script, every form CSRF-protected. */
const layout = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Your account</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;margin:0;padding:1.5rem}
main{background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);max-width:1000px;margin:auto}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #eee;vertical-align:top}
form.inline{display:inline}button{padding:.35rem .8rem;border:0;border-radius:4px;cursor:pointer;background:#1f6feb;color:#fff;margin:.1rem}
button.danger{background:#b42318}button.secondary{background:#e4e6ea;color:#222}.notice{background:#ecfdf3;padding:.7rem;border-radius:4px}
code{background:#f1f1f1;padding:.1rem .3rem;border-radius:3px;word-break:break-all}.muted{color:#666}header{display:flex;justify-content:space-between;align-items:center}
svg{display:block}label{margin-right:.8rem}input,select{padding:.25rem}
</style></head><body><main>${body}</main></body></html>`;

const csrfField = (csrf: string) => `<input type="hidden" name="csrf_token" value="${escape(csrf)}">`;

const button = (csrf: string, action: string, fields: Record<string, string>, label: string, style = '') =>
  `<form class="inline" method="post" action="${action}">${csrfField(csrf)}${Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('')}<button type="submit"${style ? ` class="${style}"` : ''}>${escape(label)}</button></form>`;

/** Calls per day as bars, with the day and count in each bar's title. */
export const usageChart = (series: { day: string; calls: number }[]): string => {
  const width = 280;
  const height = 60;
  const max = Math.max(1, ...series.map((point) => point.calls));
  const barWidth = width / series.length;
  const bars = series
    .map((point, i) => {
      const barHeight = Math.round((point.calls / max) * (height - 12));
      return `<rect x="${(i * barWidth + 1).toFixed(1)}" y="${height - 12 - barHeight}" width="${(barWidth - 2).toFixed(1)}" height="${barHeight}" fill="#1f6feb"><title>${point.day}: ${point.calls} calls</title></rect>`;
    })
    .join('');
  const total = series.reduce((sum, point) => sum + point.calls, 0);
  return `<svg role="img" aria-label="Calls per day, last ${series.length} days: ${total} in all" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${bars}<line x1="0" y1="${height - 12}" x2="${width}" y2="${height - 12}" stroke="#999"/><text x="0" y="${height - 1}" font-size="9" fill="#666">${series[0]?.day ?? ''}</text><text x="${width}" y="${height - 1}" font-size="9" fill="#666" text-anchor="end">${series[series.length - 1]?.day ?? ''} · max ${max}/day</text></svg>`;
};

const auditQuery = (filter: AuditFilterDto) =>
  new URLSearchParams(Object.entries(filter).filter(([, value]) => typeof value === 'string' && value !== '') as [string, string][]).toString();

export const consolePage = (p: { username: string; csrf: string; view: AccountView; filter: AuditFilterDto; notice?: string }): string => {
  const { view, csrf, filter } = p;
  const applications = view.applications.length
    ? `<table><tr><th>Application</th><th>Client id</th><th>Usage (calls per day)</th><th></th></tr>${view.applications
        .map(
          (application) => `<tr><td><strong>${escape(application.name)}</strong><br><span class="muted">${escape(application.status)} · ${escape(application.scopes.join(' '))}</span></td>
<td><code>${escape(application.clientId)}</code></td><td>${usageChart(application.callsPerDay)}</td><td>${
            application.status === 'active'
              ? button(csrf, '/account/applications', { applicationId: application.applicationId, action: 'rotate-secret' }, 'Rotate secret', 'secondary') +
                (application.previousSecretExpiresAt && Date.parse(application.previousSecretExpiresAt) > Date.now()
                  ? button(csrf, '/account/applications', { applicationId: application.applicationId, action: 'retire-previous-secret' }, 'Retire previous secret', 'secondary')
                  : '') +
                button(csrf, '/account/applications', { applicationId: application.applicationId, action: 'revoke' }, 'Revoke')
              : ''
          }${button(csrf, '/account/applications', { applicationId: application.applicationId, action: 'delete' }, 'Delete', 'danger')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">You have no applications.</p>';
  const authorized = view.authorized.length
    ? `<table><tr><th>Application</th><th>Scopes</th><th>Granted</th><th>Last used</th><th></th></tr>${view.authorized
        .map(
          (grant) =>
            `<tr><td>${escape(grant.name)}<br><code>${escape(grant.clientId)}</code></td><td>${escape(grant.scopes.join(' '))}</td><td>${escape(grant.grantedAt)}</td><td>${escape(grant.lastUsedAt ?? 'never')}</td><td>${button(csrf, '/account/authorized', { grantId: grant.grantId }, 'Revoke access', 'danger')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">You have not authorized any application.</p>';
  const names = new Map(view.applications.map((application) => [application.applicationId, application.name]));
  const option = (value: string, label: string, selected: string | undefined) => `<option value="${escape(value)}"${selected === value ? ' selected' : ''}>${escape(label)}</option>`;
  const filters = `<form method="get" action="/account">
<label>Application <select name="application">${option('', 'All', filter.application ?? '')}${view.applications.map((a) => option(a.applicationId, a.name, filter.application)).join('')}</select></label>
<label>Kind <select name="kind">${option('', 'All', filter.kind ?? '')}${option('call', 'Calls', filter.kind)}${option('change', 'Changes', filter.kind)}</select></label>
<label>From <input type="date" name="from" value="${escape(filter.from ?? '')}"></label><label>To <input type="date" name="to" value="${escape(filter.to ?? '')}"></label>
<button type="submit" class="secondary">Filter</button> <a href="/account/audit.csv?${escape(auditQuery(filter))}">Export CSV</a></form>`;
  const audit = view.audit.length
    ? `<table><tr><th>When</th><th>Application</th><th>Kind</th><th>What</th><th>Detail</th></tr>${view.audit
        .map(
          (line) =>
            `<tr><td>${escape(line.at)}</td><td>${escape(names.get(line.applicationId) ?? line.applicationId)}</td><td>${line.kind}</td><td>${escape(line.what)}</td><td><code>${escape(JSON.stringify(line.detail))}</code></td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">Nothing recorded for these filters.</p>';
  return layout(`<header><h1>Your account</h1><div>Signed in as <strong>${escape(p.username)}</strong> ${button(csrf, '/account/sign-out', {}, 'Sign out', 'secondary')}</div></header>
${p.notice ? `<p class="notice" role="status">${p.notice}</p>` : ''}
<h2>Your applications</h2>${applications}
<h2>Applications you have authorized</h2>${authorized}
<h2>Audit trail</h2>${filters}${audit}`);
};

const csvCell = (value: string) => (/[",\n\r]/.test(value) || /^[=+\-@]/.test(value) ? `"${(/^[=+\-@]/.test(value) ? `'${value}` : value).replace(/"/g, '""')}"` : value);

/** RFC 4180, with formula-looking cells defused for spreadsheets. */
export const auditCsv = (lines: AuditLine[]): string =>
  ['at,applicationId,kind,what,detail', ...lines.map((line) => [line.at, line.applicationId, line.kind, line.what, JSON.stringify(line.detail)].map(csvCell).join(','))].join('\r\n') + '\r\n';
