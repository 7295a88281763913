/** Who is calling, as authentication established it. */
export interface Caller {
  userId: string;
  role: string;
  sessionId: string;
  /** Known when the caller came with the session cookie. */
  sessionToken?: string;
}
