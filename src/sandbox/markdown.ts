/**
 * Message markdown as the web chat shows it, rendered here with markdown-it with raw HTML off: every `<` in a
 * message is escaped, and links are limited to markdown-it's safe schemes (no `javascript:`, `vbscript:`,
 * `file:` or non-image `data:`). The page's CSP is the second fence: no inline script, no image from elsewhere.
 */
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });
// A link opens in a new tab that gets neither this page (window.opener) nor its address.
markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]!.attrSet("target", "_blank");
  tokens[index]!.attrSet("rel", "noopener noreferrer nofollow");
  return self.renderToken(tokens, index, options);
};

/** A message's text is fixed once sent: each is rendered once. */
const rendered = new WeakMap<object, { text: string; html: string }>();

export function renderMarkdown(owner: object, text: string): string {
  const cached = rendered.get(owner);
  if (cached?.text === text) return cached.html;
  const html = markdown.render(text).trimEnd();
  rendered.set(owner, { text, html });
  return html;
}
