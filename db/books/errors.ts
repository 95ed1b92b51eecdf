/** Refusals of the books' data access; the books API maps them onto its one error shape (server/books/books.ts). */
/** Input the books refuse, with the fields at fault (the API answers 422 / 409 with them). */
export class BooksInputError extends Error {
  constructor(
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
    readonly kind: 'invalid' | 'conflict' | 'not_found' = 'invalid',
  ) {
    super(message);
    this.name = 'BooksInputError';
  }
}
