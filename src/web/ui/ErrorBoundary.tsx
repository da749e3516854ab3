import { Component, type ErrorInfo, type ReactNode } from 'react';
import { i18n } from '../i18n/index.ts';

/**
 * Last line of defence for render errors (and failed lazy chunks after a redeploy): a plain
 * message with a reload button, styled inline so it works in both apps.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" style={{ padding: 32, textAlign: 'center', fontSize: 17, lineHeight: 1.6 }}>
        <p>{i18n.t('error.unexpected')}</p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          style={{
            fontSize: 17,
            padding: '10px 24px',
            borderRadius: 8,
            border: '1px solid #ccc',
            background: '#fff',
          }}
        >
          {i18n.t('common.refresh')}
        </button>
      </div>
    );
  }
}
