// The tests' one polling helper lives in testkit/, where core's tests reach it too.
export { eventually } from '../../testkit/eventually';
