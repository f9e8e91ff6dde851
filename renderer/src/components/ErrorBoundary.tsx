import { Component, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  /** What failed, as the message names it: "app", "view", "graph". */
  what: string;
  className?: string;
  /** The failure's test id; `<what>-failed` unless given. */
  testId?: string;
  children: ReactNode;
}

/**
 * A part that fails to load (its chunk, after the app was rebuilt under an open window, say) or
 * to draw takes that part down and says why, not the whole window: React removes everything
 * below the root for an error nothing caught.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: string | null }> {
  override state: { error: string | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: string } {
    return { error: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className={`placeholder ${this.props.className ?? ''}`} data-testid={this.props.testId ?? `${this.props.what}-failed`}>
        <p>
          The {this.props.what} could not be shown: {this.state.error}
        </p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
