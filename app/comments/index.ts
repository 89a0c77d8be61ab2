// The comment thread of an item.
export { addComment, mayComment, COMMENT_MAX } from './comments.ts';
