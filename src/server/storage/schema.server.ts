import type { Generated } from "kysely";

/** Parley's own tables, plus the columns of better-auth's `user` table it reads. */
export interface Database {
  room: {
    id: string;
    slug: string;
    name: string;
    created_by: string | null;
    created_at: number;
    /** Highest seq handed out in this room; bumped in the append transaction. */
    last_seq: Generated<number>;
  };
  room_member: {
    room_id: string;
    user_id: string;
    joined_at: number;
  };
  message: {
    id: string;
    room_id: string;
    seq: number;
    author_id: string;
    client_id: string;
    text: string;
    created_at: number;
  };
  user: { id: string; name: string };
}
