import { createFileRoute } from "@tanstack/react-router";
import { AdminRoomsPage } from "../../components/admin/AdminRoomsPage";

export const Route = createFileRoute("/admin/rooms")({
  head: () => ({ meta: [{ title: "Rooms · Admin · Parley" }] }),
  component: AdminRoomsPage,
});
