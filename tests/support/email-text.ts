/** Reading an email as its reader does, for the tests that search it for PHI (issue 11). */

/** What a reader sees in the HTML: the text between tags, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Whole numbers as a reader would read them (71.6 is one number, 2026 one, not 20 and 26). */
export function numbersIn(text: string): Set<string> {
  return new Set(text.match(/\d+(?:\.\d+)?/g) ?? []);
}
