// Requester-controlled text in Slack mrkdwn. Slack decodes only &amp; &lt; &gt;, so escaping
// &, < and > keeps <!channel>, <!here>, <@U…> and <url|label> from becoming mentions or links.
// Bold, italics, strike and auto-links have no escape in mrkdwn: values therefore go inside
// code spans (inline) or code blocks (the command), where Slack formats nothing, with the
// backticks that could close them early replaced. Control and bidi characters are shown.
import { fitEscaped, visible } from '../visible-text.js';

/** &, < and > as the entities Slack decodes. */
export const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A one-line value as an inline code span of at most `limit` characters. */
export function slackCode(value: string, limit = 300): string {
  const shown = visible(value, false).replace(/`/g, 'ˋ').trim();
  if (shown === '') return '_(empty)_';
  return fitEscaped(shown, (cut) => `\`${escapeMrkdwn(cut)}\``, limit);
}

/** A multi-line value (the command) as a code block of at most `limit` characters. */
export function slackCodeBlock(value: string, limit = 2000): string {
  // Inside a block only ``` ends it: a zero-width space splits any run of three.
  const shown = visible(value, true).replace(/```/g, '`\u200B`\u200B`');
  return fitEscaped(shown, (cut) => `\`\`\`${escapeMrkdwn(cut)}\`\`\``, limit);
}

/** Text for plain_text objects (modal labels, hints): literal in Slack, only shown invisibles and a length cap. */
export function slackPlain(value: string, limit: number): string {
  return fitEscaped(visible(value, false), (cut) => cut, limit);
}
