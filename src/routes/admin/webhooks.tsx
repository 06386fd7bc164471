import { createFileRoute } from "@tanstack/react-router";
import { AdminWebhooksPage } from "../../components/admin/AdminWebhooksPage";

export const Route = createFileRoute("/admin/webhooks")({
  head: () => ({ meta: [{ title: "Webhooks · Admin · Parley" }] }),
  component: AdminWebhooksPage,
});
