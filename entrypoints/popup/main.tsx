import { render } from 'solid-js/web';
import Popup from '@/components/Popup';
import '@/assets/theme.css';
import './popup.css';

render(() => <Popup />, document.getElementById('app')!);
