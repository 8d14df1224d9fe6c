// The error the kit doubles throw or reject with: the platform's BusinessError shape (a numeric
// `code` the app's adapters switch on, and a message).
export class BusinessError extends Error {
  code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'BusinessError';
    this.code = code;
  }
}
