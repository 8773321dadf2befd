/** The welcome email: the consultation offer and the link, crisis lines, nothing injected by a name. */
import { describe, expect, it } from 'vitest';
import { appLink, escapeHtml, renderWelcomeEmail, WELCOME_SUBJECT } from '../../../shared/notifications/welcome-email.js';

describe('renderWelcomeEmail', () => {
  const email = renderWelcomeEmail({ firstName: 'Riley', appBaseUrl: 'https://app.moodrx.example' });

  it('offers the free 15-minute consultation with a link into the app, in HTML and text', () => {
    expect(email.subject).toBe(WELCOME_SUBJECT);
    expect(email.subject).toContain('free 15-minute consultation');
    for (const body of [email.html, email.text]) {
      expect(body).toContain('Riley');
      expect(body).toContain('free 15-minute consultation');
      expect(body).toContain('https://app.moodrx.example/consultation');
    }
    expect(email.html).toContain('<a href="https://app.moodrx.example/consultation"');
  });

  it('gives the crisis lines and says email is not monitored for emergencies', () => {
    for (const body of [email.html, email.text]) {
      expect(body).toContain('988');
      expect(body).toContain('911');
      expect(body).toContain('not monitored for emergencies');
    }
  });

  it('treats the name as text: no markup in HTML, no extra lines in text', () => {
    const hostile = renderWelcomeEmail({ firstName: '<img src=x onerror=alert(1)>\r\nBcc: x@evil.example', appBaseUrl: 'https://app.example' });
    expect(hostile.html).not.toContain('<img');
    expect(hostile.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile.text.split('\n')[0]).toBe('Hi <img src=x onerror=alert(1)> Bcc: x@evil.example,');
    expect(hostile.subject).toBe(WELCOME_SUBJECT);
  });
});

describe('appLink', () => {
  it.each([
    ['https://app.example', 'https://app.example/consultation'],
    ['https://app.example/', 'https://app.example/consultation'],
    ['https://example.org/moodrx', 'https://example.org/moodrx/consultation'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/consultation'],
  ])('puts the path under %s', (base, expected) => {
    expect(appLink(base, '/consultation')).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
