import type { Metadata } from "next";
import { TasksView } from "@/components/TasksView.tsx";

export const metadata: Metadata = { title: "Tasks" };

export default function TasksPage() {
  return <TasksView />;
}
