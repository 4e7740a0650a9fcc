import Link from "next/link";

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1 className="auth-title">Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link className="button button--primary" href="/">
          Go to the app
        </Link>
      </div>
    </main>
  );
}
