// The unit of state: a record with a string key, stored in a workspace table.
export interface Rec {
  id: string;
  [key: string]: unknown;
}
