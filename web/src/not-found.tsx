// A console address that names no page.
import { Link } from '@tanstack/react-router';
import { Empty } from './ui/states';

/** Shown for an unknown path inside the console. */
export function NotFound() {
  return (
    <Empty title="There is no page here.">
      <Link to="/">Go to my access</Link>
    </Empty>
  );
}
