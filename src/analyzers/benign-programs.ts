// Pager and editor settings that only show text or open an editor: no hidden program runs.

export const BENIGN_PAGER = /^(cat|less|more|most)(\s+-[A-Za-z+#0-9]+)*$/;
export const BENIGN_EDITOR = /^(vi|vim|nvim|nano|emacs|emacsclient|code --wait|subl -w|true|:)$/;
