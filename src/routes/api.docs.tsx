import { createFileRoute } from "@tanstack/react-router";
import { ApiReference } from "../components/ApiReference";

// The REST API's reference (issue 15), public like the document it reads.
export const Route = createFileRoute("/api/docs")({
  head: () => ({ meta: [{ title: "REST API · Parley" }] }),
  component: ApiReference,
});
